def genres():
    """The genres this cinema shows."""
    return ("drama", "comedy", "horror")
