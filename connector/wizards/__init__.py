from . import connector_checkpoint_review
