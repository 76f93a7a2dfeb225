def planting_minutes(beds):
    """Minutes to plant out the beds, each bed's planting time in minutes."""
    return sum(beds)
