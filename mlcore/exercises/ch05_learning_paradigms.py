"""Exercises for chapter 05: naming the paradigm, one k-means step, pseudo-label counts;
predictions for the unscaled model, the denoiser, pseudo-labelling and the noise explorer."""
import numpy as np

from .. import activations
from ..teaching import cluster
from .prediction import Prediction
from .questions import Case, Choice, Function, Mistake, Multipart, Value

TITLE = "Learning paradigms"

PARADIGMS = ["supervised", "unsupervised", "semi-supervised"]
_logits = np.random.default_rng(5).normal(scale=2.5, size=(200, 3))
DATA = {"probabilities": activations.softmax(_logits), "threshold": 0.9}
_POINTS = np.array([[0.0, 0.0], [0.5, 0.2], [4.0, 4.0], [5.0, 3.5], [0.2, 0.8], [4.5, 5.0]])


def kmeans_step(points, centroids):
    """One assign-then-update step of the engine's k-means."""
    return cluster.kmeans(points, len(centroids), init=centroids, max_iter=1).centroids


def _step_farthest(points, centroids):
    labels = (((points[:, None] - centroids[None]) ** 2).sum(-1)).argmax(1)
    return np.array([points[labels == j].mean(0) for j in range(len(centroids))])


def _step_l1(points, centroids):
    labels = np.abs(points[:, None] - centroids[None]).sum(-1).argmin(1)
    return np.array([points[labels == j].mean(0) for j in range(len(centroids))])


def _step_all_points(points, centroids):
    return np.repeat(points.mean(0, keepdims=True), len(centroids), axis=0)


def _kept(probabilities, threshold):
    return int((probabilities.max(axis=1) >= threshold).sum())


def _paradigm(title, answer, messages):
    return Choice(title, title, answer, PARADIGMS,
                  mistakes=[Mistake(message, value=option) for option, message in messages.items()])


def questions():
    probabilities, threshold = DATA["probabilities"], DATA["threshold"]
    return [
        Multipart(
            "Name the paradigm",
            "Answer 'supervised', 'unsupervised' or 'semi-supervised' for each:\n"
            "(a) 10,000 e-mails, each marked spam or not spam, train a spam filter.\n"
            "(b) Group a shop's customers by what they buy; nobody has labelled them.\n"
            "(c) 500 X-rays labelled by doctors and 50,000 unlabelled ones; the model's confident "
            "guesses on the unlabelled ones become extra training labels.",
            {"a": _paradigm("spam filter", "supervised", {
                "unsupervised": "every e-mail comes with its answer (spam or not): that is a label.",
                "semi-supervised": "all the e-mails are labelled; nothing is left unlabelled."}),
             "b": _paradigm("customer groups", "unsupervised", {
                 "supervised": "there are no labels to learn from: the groups are found in the data.",
                 "semi-supervised": "semi-supervised needs at least a few labels; here there are none."}),
             "c": _paradigm("X-rays", "semi-supervised", {
                 "supervised": "most of the X-rays have no label; the model labels them itself.",
                 "unsupervised": "500 X-rays do carry labels, and the pseudo-labels come from a "
                                 "model trained on them."})},
            hints=["Ask: are there labels for all, none, or some of the samples?"],
            solution="(a) supervised, (b) unsupervised (clustering), (c) semi-supervised "
                     "(pseudo-labelling).",
            solution_code="answers = ('supervised', 'unsupervised', 'semi-supervised')",
            solution_name="answers",
            variants=[("Supervised", "unsupervised.", "semi supervised")],
        ),
        Function(
            "Write one k-means step",
            "Write kmeans_step(points, centroids): assign each point (N, d) to its nearest "
            "centroid (k, d) by squared Euclidean distance, then return the new centroids, each "
            "the mean of its points (shape (k, d)). Every centroid gets at least one point here.",
            "kmeans_step", kmeans_step,
            cases=[Case(_POINTS, np.array([[0.0, 1.0], [5.0, 5.0]])),
                   Case(_POINTS, np.array([[0.0, 0.0], [4.0, 4.0], [5.0, 3.0]])),
                   Case(np.array([[1.0], [2.0], [10.0], [11.0], [12.0]]), np.array([[0.0], [20.0]])),
                   # (0, 0) is nearer (2, 2) by squared distance (8 < 9) but (3, 0) by L1 (3 < 4)
                   Case(np.array([[0.0, 0.0], [2.0, 2.5], [3.0, -0.5]]), np.array([[2.0, 2.0], [3.0, 0.0]]))],
            mistakes=[Mistake("points went to their FARTHEST centroid: use argmin of the distances.",
                              value=_step_farthest),
                      Mistake("that is the L1 (city-block) distance, sum of |differences|; k-means "
                              "uses the squared Euclidean distance, sum of squared differences.",
                              value=_step_l1),
                      Mistake("every centroid moved to the mean of ALL points: average only the "
                              "points assigned to it.", value=_step_all_points)],
            hints=["Distances: ((points[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=-1) "
                   "has shape (N, k).",
                   "argmin along the centroid axis gives each point's nearest centroid; a mask such "
                   "as labels == j picks the points of group j."],
            solution="Broadcast to get every point-centroid distance, take the nearest, then "
                     "average each group.",
            solution_code="def kmeans_step(points, centroids):\n"
                          "    distances = ((points[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=-1)\n"
                          "    labels = distances.argmin(axis=1)\n"
                          "    return np.array([points[labels == j].mean(axis=0) for j in range(len(centroids))])",
            solution_name="kmeans_step",
        ),
        Value(
            "How many pseudo-labels?",
            "ex.data['probabilities'] holds a model's softmax outputs (200 samples, 3 classes) on "
            "unlabelled data. With the confidence threshold ex.data['threshold'] = 0.9, how many "
            "samples get a pseudo-label (largest probability >= the threshold)?",
            lambda: _kept(probabilities, threshold),
            mistakes=[Mistake("those are the samples left unlabelled; count the confident ones.",
                              value=lambda: len(probabilities) - _kept(probabilities, threshold)),
                      Mistake("a sample's confidence is its LARGEST probability, whatever the "
                              "class, not the probability of class 0.",
                              value=lambda: int((probabilities[:, 0] >= threshold).sum()))],
            hints=["probabilities.max(axis=1) is each sample's confidence."],
            solution="Take each row's largest probability and count those at or above 0.9.",
            solution_code="p = ex.data['probabilities']\n"
                          "kept = int((p.max(axis=1) >= ex.data['threshold']).sum())",
            solution_name="kept",
        ),
    ]


PSEUDO_OUTCOMES = ["higher on every seed", "no clear change", "lower on every seed"]


def predictions():
    return [
        Prediction(
            "Training accuracy on unscaled inputs",
            "The weight/height model sees pounds and inches as they are and makes 20 updates at "
            "learning rate 0.0001. What training accuracy will it end with on the six people?",
            kind="choice", options=[0.5, 0.67, 0.83, 1.0],
            explain="0.5: inputs in the hundreds give output sums z in the tens, so the softmax "
                    "is saturated and calls all six people male; 20 small steps barely move z, so "
                    "the three women stay wrong although their loss is large.",
        ),
        Prediction(
            "Plain against denoising autoencoder",
            "Both autoencoders get the same budget. Order by squared error against the clean "
            "test digits, lowest first: the noisy input itself, the plain autoencoder's output, "
            "the denoising autoencoder's output.",
            kind="ordering", options=["denoising", "plain", "noisy input"],
            explain="The denoiser was trained to map noisy digits to clean ones and removes most "
                    "of the noise; the plain one has only learned to redraw digits through 32 "
                    "numbers, which removes some noise by the way, so it lands in between.",
        ),
        Prediction(
            "Pseudo-labels with 450 labels",
            "450 labelled digits and 4,050 unlabelled ones, the same number of updates for both "
            "models. Compared with training on the 450 labels alone, the test accuracy with "
            "pseudo-labels is ...",
            kind="choice", options=PSEUDO_OUTCOMES,
            explain="Lower on every seed, by 0.4 to 1.8 points. The confident pseudo-labels are "
                    "98.8 % right, far above the first model's test accuracy: they are mostly easy "
                    "digits it already gets right. And at the same 600 updates each true label is "
                    "seen about four times less often.",
        ),
        Prediction(
            "Pseudo-labels with 40 labels",
            "Now only 40 labelled digits (4 of each), the same threshold and budget. Compared "
            "with training on the 40 labels alone, the test accuracy with pseudo-labels is ...",
            kind="choice", options=PSEUDO_OUTCOMES,
            explain="With 4 examples per digit the first model is weak, but its confident "
                    "guesses are still right about 9 times in 10 and add some 25 new digits per "
                    "true label: many more ways of writing each digit than the labels show.",
        ),
        Prediction(
            "Where the denoiser starts to pay",
            "On the explorer's slider (noise std 0 to 1 in steps of 0.05), what is the smallest "
            "noise level at which the reconstruction is closer to the clean digits than the "
            "noisy input is?",
            kind="number", tolerance=0.01, bounds=(0, 1),
            explain="Below it, the noise does less damage than the autoencoder's own "
                    "reconstruction error: it redraws every digit a little blurred.",
        ),
    ]
