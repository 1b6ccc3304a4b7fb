"""The handoff console: support agents take over conversations from the assistant."""
