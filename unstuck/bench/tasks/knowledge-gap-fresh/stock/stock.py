FLOURS = ["white", "rye"]
