"""Find a chapter's exercises by name or number and bind them as ``q1``, ``q2``, ..."""
import importlib

CHAPTERS = (
    "00_neural_networks", "01_activations", "02_training", "03_loss",
    "04_datasets_and_generalization", "05_learning_paradigms", "06_backprop_math",
    "07_initialization", "08_regularization", "09_convolution", "10_padding",
    "11_pooling", "12_batch_norm", "13_fine_tuning", "14_babysitting",
)


def chapter_id(chapter):
    """The full chapter name for ``9``, ``'9'``, ``'09'``, ``'09_convolution'``,
    ``'09_convolution.ipynb'`` or ``'convolution'``.

    Raises
    ------
    ValueError
        If nothing matches; the message lists the chapters.
    """
    text = str(chapter).strip().lower()
    if text.endswith(".ipynb"):
        text = text[:-len(".ipynb")].rsplit("/", 1)[-1]
    if not isinstance(chapter, bool) and text.isdigit():
        text = f"{int(text):02d}"
    for name in CHAPTERS:
        if text in (name, name[:2], name[3:]):
            return name
    raise ValueError(f"no exercises for chapter {chapter!r}; the chapters are "
                     f"{', '.join(CHAPTERS)} (a number such as 9 or '09' works too)")


class ExerciseSet:
    """The exercises of one chapter: ``ex.q1``, ``ex.q2``, ...; printing it lists them.

    ``ex.data`` holds the inputs the questions name (e.g. ``ex.data['bar']``);
    ``ex.p1``, ``ex.p2``, ... are the chapter's predictions (:mod:`.prediction`).
    """

    def __init__(self, chapter, title, questions, data=None, predictions=()):
        self.chapter, self.title, self.questions = chapter, title, list(questions)
        self.predictions = list(predictions)
        self.data = dict(data or {})
        for number, question in enumerate(self.questions, 1):
            question.chapter, question.key = chapter, f"q{number}"
            for name, part in getattr(question, "parts", {}).items():
                part.chapter, part.key = chapter, f"q{number}.{name}"
            setattr(self, f"q{number}", question)
        for number, prediction in enumerate(self.predictions, 1):
            prediction.chapter, prediction.key = chapter, f"p{number}"
            setattr(self, f"p{number}", prediction)

    def __getattr__(self, name):
        # Only reached for names not set in __init__, e.g. ex.q9 on a 3-question chapter.
        items = self.__dict__.get("questions", []) + self.__dict__.get("predictions", [])
        raise AttributeError(f"chapter {self.__dict__.get('chapter', '?')} has "
                             f"{', '.join(q.key for q in items)}; there is no {name!r}")

    def __len__(self):
        return len(self.questions)

    def verify(self):
        """Problems with these exercises (a failing solution, reference or mistake); [] if none."""
        from .selftest import verify
        return verify(self)

    def __iter__(self):
        return iter(self.questions)

    def __repr__(self):
        lines = [f"Exercises for chapter {self.chapter[:2]} · {self.title} "
                 f"({len(self)} questions)"]
        lines += [f"  {q.key}  {q.title}" for q in self.questions]
        if self.predictions:
            lines.append("Predictions (guess before the experiment, e.g. ex.p1.predict(...)):")
            lines += [f"  {p.key}  {p.title}" for p in self.predictions]
        lines.append("Print one (e.g. ex.q1) to read it; answer with ex.q1.check(your_answer); "
                     "ex.q1.hint() and ex.q1.solution() help.")
        return "\n".join(lines)


def load(chapter):
    """The :class:`ExerciseSet` of ``chapter`` (a name or a number, see :func:`chapter_id`).

    Each call builds fresh questions, so attempts and hints start from zero.
    """
    name = chapter_id(chapter)
    module = importlib.import_module(f"{__package__}.ch{name}")
    predictions = module.predictions() if hasattr(module, "predictions") else ()
    return ExerciseSet(name, module.TITLE, module.questions(), getattr(module, "DATA", None),
                       predictions)
