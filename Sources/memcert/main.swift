print("memcert")
