CRATES = ["fish", "salt", "rope", "tar"]
