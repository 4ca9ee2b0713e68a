"""The coding workspace: a queue of undecided findings with the machine's suggestions,
decisions saved a finding at a time (or in bulk above a confidence), undone together,
and never over another reviewer's decision made meanwhile."""
