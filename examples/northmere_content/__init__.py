"""Invented content for the Northmere example review (every name and sentence is fictional)."""
