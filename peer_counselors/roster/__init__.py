"""The peer-counselor roster a school's supervising counselors keep: who is trained, who is active, when each one
is on duty (a weekday and one of the school's duty periods); and the school's help desk (its day and last contact),
which its counselors and its admin keep."""
