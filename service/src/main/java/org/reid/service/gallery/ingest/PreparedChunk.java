package org.reid.service.gallery.ingest;

import java.util.List;
import org.reid.service.gallery.GalleryWriter;
import org.reid.service.image.CheckedImage;
import org.reid.service.serving.ServingModel;

/**
 * A chunk of staged items checked and embedded, ready to be stored: what became of each item so
 * far, the ones to store, and the crops to write with their embeddings by the serving model (and
 * the switch target during a model switch).
 */
record PreparedChunk(ServingModel model, ServingModel target, List<Outcome> outcomes, List<Outcome> toEmbed,
        List<GalleryWriter.NewCrop> crops) {

    /** An item's outcome: PENDING (to store), DUPLICATE of an earlier item of the chunk, or FAILED. */
    record Outcome(IngestItems.Pending item, ItemState state, String error, CheckedImage image) {}
}
