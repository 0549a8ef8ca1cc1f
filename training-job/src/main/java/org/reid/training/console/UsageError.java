package org.reid.training.console;

/** Wrong use of the command line that is only found while running (a bad data folder, say): exit 2. */
public final class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
