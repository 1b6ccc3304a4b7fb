"""Demo data: generated customers (:mod:`.generate`) and hand-written scenarios."""
