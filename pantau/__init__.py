"""Pantau: supervising public-service improvement between an Ombudsman office and a regional government."""
