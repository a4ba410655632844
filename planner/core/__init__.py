"""The domain, without Flask and without SQL: the records (offices, staff, visits, absences), settings, weeks,
places, travel, availability, the timing and costs of a trip, single-visit proposals, and messages (reasons as a
code with parameters, worded in English here and in the page's language by ``planner.web``)."""
