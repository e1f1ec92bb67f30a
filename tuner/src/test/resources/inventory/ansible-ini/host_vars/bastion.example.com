ansible_user: admin
