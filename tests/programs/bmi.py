"""BMI calculator

Enter your height and weight, get your body mass index and what it means.
"""
from htmio import start_server, config
from htmio.input import *
from htmio.output import *
from htmio.session import info, set_env

CATEGORIES = [
    (16, 'Severely underweight'),
    (18.5, 'Underweight'),
    (25, 'Normal'),
    (30, 'Overweight'),
    (35, 'Moderately obese'),
    (float('inf'), 'Severely obese'),
]


def category(bmi):
    for top, name in CATEGORIES:
        if bmi < top:
            return name


def check_height(h):
    if h < 50 or h > 250:
        return 'Height must be between 50 and 250 cm'


@config(title="BMI calculator", css_style="#pywebio-scope-result { border-left: 4px solid #3a7; padding-left: 8px; }")
def main():
    """BMI calculator

    Works out your body mass index.
    """
    set_env(title='BMI calculator')
    put_markdown("""# Body Mass Index
    [BMI](https://en.wikipedia.org/wiki/Body_mass_index) is your weight in kilograms divided by the
    square of your height in metres.

    | BMI | Category |
    | --- | -------- |
    | < 16 | Severely underweight |
    | 16 - 18.5 | Underweight |
    | 18.5 - 25 | Normal |
    | 25 - 30 | Overweight |
    | 30 - 35 | Moderately obese |
    | >= 35 | Severely obese |
    """)

    while True:
        data = input_group("Your measurements", [
            input("Height (cm)", name="height", type=FLOAT, validate=check_height, placeholder="175"),
            input("Weight (kg)", name="weight", type=FLOAT, help_text="without clothes"),
        ], validate=lambda d: ('weight', 'Weight must be positive') if d['weight'] <= 0 else None,
            cancelable=True)
        if data is None:
            put_text("Bye!")
            break
        bmi = data['weight'] / (data['height'] / 100) ** 2
        with use_scope('result', clear=True):
            put_markdown(f"""Your BMI: **{bmi:.1f}**
            Category: `{category(bmi)}`
            """)
            if info.user_language.startswith('zh'):
                put_text('身体质量指数')


if __name__ == '__main__':
    start_server(main, port=8080, debug=True)
