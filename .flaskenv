# Read by the flask command (python-dotenv) when run from this folder. Deployments set APP_ENV=production
# and SECRET_KEY in their own environment; gunicorn never reads this file.
APP_ENV=development
