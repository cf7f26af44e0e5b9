"""The only layer that writes SQL: connection factory, migrations, repositories."""

