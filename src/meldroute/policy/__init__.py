"""Policy follow-up (issue 15): basisniveau, actiepunten, trainings and awareness, effort, evaluation cadence."""
