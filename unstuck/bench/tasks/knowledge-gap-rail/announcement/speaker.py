def announcement():
    """What the platform speaker says as a train arrives."""
    return "The train now arriving is for Harbour"
