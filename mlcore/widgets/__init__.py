"""Interactive components for the chapters (ipywidgets + matplotlib).

Each widget is split in two: a pure state function (NumPy in, NumPy out,
tested without Jupyter) and a view that builds the controls and redraws the
figure in place. What several views share is in ``base/``: the ``Explorer``
(``base/view.py``: controls → memoised ``compute(**values)`` → ``draw(state)``),
the toolkit (``base/toolkit.py``: colours, number format, shared artists),
network diagrams (``base/diagram.py``) and the sliding-window animator
(``base/sliding_window.py``). Every other module is one explorer (the
Playground and the NetworkOverview are packages of their own), and no
explorer imports another.
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
from .learning_rate import LearningRateExplorer, learning_rate_run
from .loss_explorer import LossExplorer, loss_state
from .base.diagram import draw_network
from .network import WeightUpdateAnimator, training_step_frames
from .neuron import NeuronExplorer, neuron_state
from .overview import NetworkOverview, overview_state, pixel_explanation
from .playground import Playground, PlaygroundSettings, PlaygroundState
from .pooling import PoolingAnimator, pooling_step
from .regularization import RegularizationExplorer, train_regularized
from .base.view import Explorer, WidgetView, play_controls

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
           "DenoisingExplorer", "denoise_state", "FineTuningExplorer", "fine_tune",
           "LearningRateExplorer", "learning_rate_run"]
