def star_catalogue(stars):
    """Star names as the catalogue lists them: alphabetical."""
    return list(stars)
