"""Tests of the dashboards and their aggregations."""
