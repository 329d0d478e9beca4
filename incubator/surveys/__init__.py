"""The yearly survey of the incubator's businesses and their products (issue 22): staff open a survey for a year
with its questions, every business with a residency in the incubator that year is invited, and its founders
answer it once, with drafts, by a deadline."""
