"""Importing the register (companies, residencies, outcomes) from staff's spreadsheets."""
