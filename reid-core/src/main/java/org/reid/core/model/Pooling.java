package org.reid.core.model;

import java.util.Arrays;

/** How a feature map {@code [N, C, h, w]} becomes a feature vector {@code [N, C]}. */
public enum Pooling {
    /** Global average pooling (BoT, MVP). */
    AVG("avg"),
    /** Generalised-mean pooling with a learnable exponent p, initialised at 3 (Radenovic et al.). */
    GEM("gem");

    private final String id;

    Pooling(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Pooling fromId(String id) {
        for (Pooling p : values()) {
            if (p.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling '" + id + "', expected one of "
                + Arrays.stream(values()).map(Pooling::id).toList());
    }
}
