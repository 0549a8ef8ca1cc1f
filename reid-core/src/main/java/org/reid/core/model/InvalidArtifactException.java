package org.reid.core.model;

import java.io.IOException;

/** A model artifact this build refuses: unknown format, bad checksum, missing or malformed file. */
public class InvalidArtifactException extends IOException {
    public InvalidArtifactException(String message) {
        super(message);
    }

    public InvalidArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
