package org.reid.synth;

/** The three Market-1501 folders. */
public enum Split {
    TRAIN("bounding_box_train"), QUERY("query"), GALLERY("bounding_box_test");

    private final String folder;

    Split(String folder) {
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }
}
