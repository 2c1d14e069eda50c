//! Server-rendered response-time charts (pure): samples → SVG geometry.
