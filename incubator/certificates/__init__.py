"""Certificates of businesses (CMMI, ISO 9001, ISO/IEC 27001, ISO/IEC 20000-1, …): one record per certificate,
city-wide like the business that holds it, counted by the third target (issue 22)."""
