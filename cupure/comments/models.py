"""(no models)"""
