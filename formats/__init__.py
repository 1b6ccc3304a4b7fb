"""How products and choices look on each channel: the one place for channel formats.

Pure functions over plain data (the carousel payload's cards and Rasa's button dicts), with no
Rasa import, so both the action server (Python 3.11) and the channels inside rasa (Python 3.10)
use them:

- :mod:`formats.cards`: the buttons every product card carries (details, more like this,
  compare) with their labels in en/es/de/fr and their Rasa intent payloads.
- :mod:`formats.text`: numbered text for channels without rich messages (a numbered product
  list, numbered options) and reading the shopper's "2" back as option 2.
- :mod:`formats.message`: reading a bot message as Rasa hands it to a channel (buttons, the
  carousel, the agent's name) and the card bits every channel shows (price · rating · stock,
  public links and images).
- :mod:`formats.telegram`, :mod:`formats.slack`, :mod:`formats.messenger`,
  :mod:`formats.twilio`: one ``render(message)`` each, turning a bot message into that
  platform's API calls (inline keyboards, Block Kit, the generic template, numbered text);
  ``docs/channels.md``.
"""
