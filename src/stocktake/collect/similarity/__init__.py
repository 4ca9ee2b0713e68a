"""Similar findings, worked out in the background and read by a finding's page.

``actions`` notes that a review's findings changed and works out each finding's most
similar findings from other organisations (the background task); ``queries`` reads
them for a user, through ``visible_to``.
"""
