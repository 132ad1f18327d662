package poreseg.workflow;

import poreseg.util.ProgressListener;

/** Receives the named stages of a long workflow, each with its own progress. Never prints by itself. */
@FunctionalInterface
public interface Stages {
    Stages NONE = name -> ProgressListener.NONE;

    /** Announces a stage and returns the listener for its progress. */
    ProgressListener stage(String name);
}
