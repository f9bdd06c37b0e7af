"""Water: monitoring sections against GB 3838, drinking-water sources, black-odorous water bodies,
river outfalls (the water parts of the campaign plans)."""
