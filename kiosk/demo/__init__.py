"""Demo data: a fictional city's volunteer organisations, a roster of made-up volunteers, activities.

Everything is generated from a seed, so the same seed gives the same demo on
every machine. The names are realistic but random; no real person's data is used.
"""
