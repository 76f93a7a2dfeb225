def check_moisture(percent):
    """Refuse clay too wet to throw."""
    if percent > 30:
        raise ValueError("clay is too dry")
    return percent
