package org.reid.synth;

/** Which side of the person faces the camera. LEFT/RIGHT: the person walks towards that image side. */
public enum Viewpoint {
    FRONT, BACK, LEFT, RIGHT;

    boolean isSide() {
        return this == LEFT || this == RIGHT;
    }
}
