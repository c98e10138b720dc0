"""The border as data: the line, boundary markers, defence segments, posts, checkpoints and
the other places on the map (cameras, bridges, piers, barrier posts, villages)."""
