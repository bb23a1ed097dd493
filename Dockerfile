FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY csops csops
COPY tickets tickets
COPY policies policies
COPY kpis kpis
COPY staffing staffing
RUN pip install --no-cache-dir .
COPY . .
# collectstatic signs nothing, but settings refuse a short or published key outside the
# embedded mode: a throwaway random one, never stored in the image.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    CSOPS_EMBEDDED=0 DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage \
    python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "csops.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
