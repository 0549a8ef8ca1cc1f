package org.reid.core.model;

import java.util.Arrays;

/** What sits between the pooled feature and the embedding / classifier. */
public enum Neck {
    /** BoT's BNNeck: BatchNorm1d with a frozen zero shift; embedding = BN(feature). */
    BNNECK("bnneck"),
    /** No neck: the embedding is the (projected) pooled feature, as in the MVP authors' code. */
    NONE("none");

    private final String id;

    Neck(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Neck fromId(String id) {
        for (Neck n : values()) {
            if (n.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown neck '" + id + "', expected one of "
                + Arrays.stream(values()).map(Neck::id).toList());
    }
}
