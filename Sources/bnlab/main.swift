import LabShell
import CReadline
print("bnlab")
