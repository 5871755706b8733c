"""Interactive components for the chapters (ipywidgets + matplotlib).

Each widget is split in two: a pure state function (NumPy in, NumPy out,
tested without Jupyter) and a view that builds the controls and redraws the
figure in place. Views are ``Explorer``s (``view.py``: controls → memoised
``compute(**values)`` → ``draw(state)``); what several views share lives at
toolkit level (``toolkit.py``: colours, number format, shared artists;
``diagram.py``: network diagrams; ``sliding_window.py``: the sliding-window
animator), and no view module imports another.
"""
from .activation_boundary import ActivationBoundaryExplorer, train_boundary
from .batch_size import BatchSizeExplorer, batch_size_run
from .batchnorm import BatchNormExplorer, batchnorm_state
from .convolution import ConvolutionAnimator, convolution_step
from .capacity import CapacityExplorer, capacity_curves
from .dashboard import TrainingDashboard
from .denoising import DenoisingExplorer, denoise_state
from .descent import GradientDescentExplorer, descent_path
from .fine_tuning import FineTuningExplorer, fine_tune
from .gallery import FilterGallery, feature_maps
from .initialization import InitializationExplorer, layer_statistics
from .loss_explorer import LossExplorer, loss_state
from .diagram import draw_network
from .network import WeightUpdateAnimator, training_step_frames
from .neuron import NeuronExplorer, neuron_state
from .overview import NetworkOverview
from .overview_state import overview_state, pixel_explanation
from .playground import Playground, PlaygroundSettings, PlaygroundState
from .pooling import PoolingAnimator, pooling_step
from .regularization import RegularizationExplorer, train_regularized
from .view import Explorer, WidgetView, play_controls

__all__ = ["WidgetView", "Explorer", "play_controls",
           "NeuronExplorer", "neuron_state", "draw_network",
           "WeightUpdateAnimator", "training_step_frames",
           "GradientDescentExplorer", "descent_path", "TrainingDashboard",
           "InitializationExplorer", "layer_statistics",
           "RegularizationExplorer", "train_regularized",
           "ConvolutionAnimator", "convolution_step", "PoolingAnimator", "pooling_step",
           "BatchNormExplorer", "batchnorm_state", "FilterGallery", "feature_maps",
           "NetworkOverview", "overview_state", "pixel_explanation",
           "Playground", "PlaygroundState", "PlaygroundSettings",
           # chapter-specific explorers
           "ActivationBoundaryExplorer", "train_boundary", "BatchSizeExplorer", "batch_size_run",
           "LossExplorer", "loss_state", "CapacityExplorer", "capacity_curves",
           "DenoisingExplorer", "denoise_state", "FineTuningExplorer", "fine_tune"]
