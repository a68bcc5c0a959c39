"""`socialcare doctor`: what a stack still lacks before it can answer customers."""
