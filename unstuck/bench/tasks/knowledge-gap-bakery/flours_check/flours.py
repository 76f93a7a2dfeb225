FLOURS = ["wheat", "spelt"]
