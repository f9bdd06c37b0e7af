"""Facts the demo world is built from, carried as the generator's own data (the generator
never reads ../shared at run time). Sources are named beside each table."""
