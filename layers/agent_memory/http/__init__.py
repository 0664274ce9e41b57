"""HTTP edge: FastAPI app factory, routers, auth and error mapping."""
