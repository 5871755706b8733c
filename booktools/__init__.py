"""Build the course as an offline static book, and export chapters that keep their pictures.

Not part of the ``mlcore`` package: run through ``python3 course.py book`` or
``jupyter nbconvert --config booktools/nbconvert_config.py``.
"""
