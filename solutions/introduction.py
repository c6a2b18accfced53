"""Reference answers for notebook 00's exercises (and typical wrong ones)."""

REFERENCE = {
    # 25.8 % / 3.57 % ≈ 7.23: the error fell about seven-fold.
    "check_error_factor": 25.8 / 3.57,
    # AlexNet (SuperVision) won ILSVRC 2012.
    "check_first_deep_year": 2012,
    # GoogLeNet's 6.7 % (2014) was still above 5.1 %; ResNet's 3.57 % (2015) was below.
    "check_first_below_human": 2015,
    # 100 − 97.35.
    "check_deepface_error": 2.65,
}

WRONG = {
    "check_error_factor": [25.8 - 3.57, 3.57 / 25.8, 28.2 / 3.57],  # a difference, upside down, 2010 instead of 2011
    "check_first_deep_year": [2010, 2014, 2015],
    "check_first_below_human": [2014, 2012, 2016],
    "check_deepface_error": [97.35, 0.18, 2.47],  # the accuracy, the gap to humans, the humans' error
}
