def repair_minutes(job):
    """How long a job takes at the bench, in minutes."""
    if job == "puncture":
        return 45
    return 90
