"""Split a finding in two, or merge two findings of one submission into one."""
