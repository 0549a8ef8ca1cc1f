package org.reid.registry;

import java.util.Locale;

/** Life cycle of a published model: candidate -> active -> retired, or candidate -> rejected. */
public enum ModelState {
    CANDIDATE,
    ACTIVE,
    RETIRED,
    REJECTED;

    /**
     * Whether a version in this state may move to {@code target}: a candidate is activated or
     * rejected, an active version is retired, and a retired one may be activated again (roll back).
     */
    public boolean canMoveTo(ModelState target) {
        return switch (this) {
            case CANDIDATE -> target == ACTIVE || target == REJECTED;
            case ACTIVE -> target == RETIRED;
            case RETIRED -> target == ACTIVE;
            case REJECTED -> false;
        };
    }

    /** The lower-case form stored in the database and shown to people. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelState fromLabel(String label) {
        try {
            return valueOf(label.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model state '" + label + "'; known: candidate, active, retired, rejected");
        }
    }
}
