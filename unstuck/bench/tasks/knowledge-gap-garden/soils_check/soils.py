SOILS = ["loam", "clay"]
