package org.reid.service.gallery.ingest;

public enum ItemState { PENDING, STORED, DUPLICATE, FAILED }
